/**
 * The build configuration's own logic: WXT's auto-import plugin is taken out of every build
 * (see withoutAutoImports in wxt.config.ts), at any depth of Vite's nested plugin lists, and
 * nothing else is.
 */
import { describe, expect, it } from 'vitest';
import { withoutAutoImports } from '../../../wxt.config';

describe('withoutAutoImports', () => {
  it('drops the unimport plugin at any depth and keeps every other plugin in its order', () => {
    const preact = { name: 'vite:preact-jsx' };
    const inline = { name: 'cmed:inline-stylesheets' };
    const wxt = { name: 'wxt:resolve-virtual-modules' };
    const plugins = [preact, { name: 'unimport' }, [wxt, { name: 'unimport' }, [inline]], null, false];
    expect(withoutAutoImports(plugins)).toEqual([preact, [wxt, [inline]], null, false]);
  });

  it('takes a missing plugin list as empty', () => {
    expect(withoutAutoImports(undefined)).toEqual([]);
  });
});
