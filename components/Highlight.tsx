import { segments } from '../utils/lookup/highlight';

/** Text with the searcher's matched ranges wrapped in <mark>. */
export function Highlight({ text, ranges }: { text: string; ranges?: readonly (readonly [number, number])[] }) {
  if (!ranges?.length) return <>{text}</>;
  return (
    <>
      {segments(text, ranges).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : s.text))}
    </>
  );
}
