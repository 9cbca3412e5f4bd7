import MarkdownIt from "markdown-it";

// Raw HTML off: tags in the source are shown as text, never injected. markdown-it also refuses javascript:,
// vbscript:, file: and non-image data: links (validateLink), so the rendered HTML is safe to insert.
const md = new MarkdownIt({ html: false, linkify: true, breaks: false });

/** Renders Markdown written by an admin (project instructions) as HTML, with raw HTML disabled. */
export function Markdown({ source, className = "" }: { source: string; className?: string }) {
  return (
    <div
      className={`markdown text-sm leading-relaxed text-zinc-800 ${className}`}
      dangerouslySetInnerHTML={{ __html: md.render(source) }}
    />
  );
}
