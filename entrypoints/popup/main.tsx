import { render } from 'preact';
import catalog from '../../data/catalog.json';

function App() {
  return (
    <ul>
      {(catalog as { id: string; title: string }[]).map((e) => (
        <li key={e.id}>{e.title}</li>
      ))}
    </ul>
  );
}
render(<App />, document.getElementById('app')!);
