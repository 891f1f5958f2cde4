/** A small SVG line plot: median cost per command (µs) against graph size (log scale). */
export function plot(series: Record<string, Record<number, number>>, sizes: readonly number[]): string {
  const width = 760;
  const height = 420;
  const left = 60;
  const right = 330;
  const top = 20;
  const bottom = 50;
  const values = Object.values(series).flatMap((s) => Object.values(s));
  const max = Math.max(1, ...values) * 1.1;
  const x = (size: number): number =>
    left + ((Math.log10(size) - Math.log10(sizes[0]!)) / (Math.log10(sizes.at(-1)!) - Math.log10(sizes[0]!) || 1)) * (width - left - right);
  const y = (us: number): number => height - bottom - (us / max) * (height - top - bottom);
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="black"/>`,
    `<text x="${(left + width - right) / 2}" y="${height - 12}" text-anchor="middle">nodes in the graph (log scale)</text>`,
    `<text x="14" y="${(top + height - bottom) / 2}" transform="rotate(-90 14 ${(top + height - bottom) / 2})" text-anchor="middle">median µs per command</text>`,
  ];
  for (const size of sizes) {
    parts.push(`<text x="${x(size)}" y="${height - bottom + 16}" text-anchor="middle">${size.toLocaleString('en')}</text>`);
  }
  for (let i = 0; i <= 4; i++) {
    const us = (max / 4) * i;
    parts.push(`<text x="${left - 6}" y="${y(us) + 4}" text-anchor="end">${us.toFixed(0)}</text>`);
    parts.push(`<line x1="${left}" y1="${y(us)}" x2="${width - right}" y2="${y(us)}" stroke="#ddd"/>`);
  }
  Object.entries(series).forEach(([name, points], i) => {
    const colour = colours[i % colours.length]!;
    const path = sizes.filter((s) => points[s] !== undefined).map((s) => `${x(s)},${y(points[s]!)}`).join(' ');
    parts.push(`<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    parts.push(`<rect x="${width - right + 12}" y="${top + i * 18}" width="12" height="3" fill="${colour}"/>`);
    parts.push(`<text x="${width - right + 30}" y="${top + i * 18 + 5}">${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
