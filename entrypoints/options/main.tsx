import { render } from 'preact';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/favorites/types';
import { messageClient } from '../../components/options/client';
import { App, applyPageSettings } from './App';
import './style.css';

async function main() {
  // Settings are read before the first paint so the page opens in the chosen language and theme.
  let settings: Settings | undefined;
  try {
    settings = await messageClient.getSettings();
  } catch {
    settings = undefined;
  }
  applyPageSettings(settings ?? DEFAULT_SETTINGS);
  render(<App initialSettings={settings} />, document.getElementById('app')!);
}

void main();
