/** Minimal dependency-free SVG line chart for committed benchmark plots. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
}

const COLORS = ["#7f7f7f", "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

export function svgLineChart(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 560,
    H = 340,
    L = 60,
    R = 150,
    T = 30,
    B = 45;
  const xs = series.flatMap((s) => s.x);
  const ys = series.flatMap((s) => s.y).filter(Number.isFinite);
  const x0 = Math.min(...xs),
    x1 = Math.max(...xs);
  let y0 = Math.min(...ys),
    y1 = Math.max(...ys);
  const pad = (y1 - y0) * 0.05 || 0.01;
  y0 -= pad;
  y1 += pad;
  const px = (x: number): number => L + ((x - x0) / (x1 - x0 || 1)) * (W - L - R);
  const py = (y: number): number => T + (1 - (y - y0) / (y1 - y0 || 1)) * (H - T - B);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${L}" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const yv = y0 + ((y1 - y0) * i) / 5;
    const xv = x0 + ((x1 - x0) * i) / 5;
    out.push(`<line x1="${L}" x2="${W - R}" y1="${py(yv).toFixed(1)}" y2="${py(yv).toFixed(1)}" stroke="#eee"/>`);
    out.push(`<text x="${L - 5}" y="${(py(yv) + 4).toFixed(1)}" text-anchor="end">${yv.toFixed(3)}</text>`);
    out.push(`<text x="${px(xv).toFixed(1)}" y="${H - B + 15}" text-anchor="middle">${Math.round(xv)}</text>`);
  }
  out.push(
    `<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="black"/><line x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}" stroke="black"/>`,
  );
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(
    `<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${esc(yLabel)}</text>`,
  );
  series.forEach((s, k) => {
    const c = COLORS[k % COLORS.length]!;
    const pts = s.x.map((x, i) => `${px(x).toFixed(1)},${py(s.y[i]!).toFixed(1)}`).join(" ");
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="1.8" points="${pts}"/>`);
    out.push(
      `<line x1="${W - R + 10}" x2="${W - R + 30}" y1="${T + 10 + k * 16}" y2="${T + 10 + k * 16}" stroke="${c}" stroke-width="2"/>`,
    );
    out.push(`<text x="${W - R + 35}" y="${T + 14 + k * 16}">${esc(s.name)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
