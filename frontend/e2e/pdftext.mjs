// Just enough PDF reading for the print test: inflate the streams, read each
// font's ToUnicode map, and decode the content streams' hex strings with
// every map (Chromium writes glyph ids, not text). Returns one string per
// (content stream × font map); a phrase printed in one font shows up whole in
// one of them.

import { inflateSync } from 'node:zlib';

export function pdfTexts(buf) {
  const s = buf.toString('latin1');
  const streams = [];
  const re = /(?<!end)stream\r?\n/g;
  let m;
  while ((m = re.exec(s))) {
    const start = m.index + m[0].length;
    const end = s.indexOf('endstream', start);
    if (end < 0) break;
    const raw = buf.subarray(start, end);
    try {
      streams.push(inflateSync(raw).toString('latin1'));
    } catch {
      streams.push(raw.toString('latin1'));
    }
    re.lastIndex = end + 9;
  }
  const maps = [];
  for (const st of streams.filter((x) => x.includes('begincmap'))) {
    const map = new Map();
    for (const b of st.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
      for (const p of b[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(p[1].toUpperCase(), hexText(p[2]));
    }
    for (const b of st.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
      for (const p of b[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const lo = parseInt(p[1], 16), hi = parseInt(p[2], 16), base = parseInt(p[3], 16);
        for (let g = lo; g <= hi; g++) map.set(g.toString(16).toUpperCase().padStart(p[1].length, '0'), String.fromCodePoint(base + g - lo));
      }
    }
    maps.push(map);
  }
  const contents = streams.filter((x) => /\bT[Jj]\b/.test(x));
  const out = [];
  for (const c of contents) {
    for (const map of maps) {
      let text = '';
      for (const op of c.matchAll(/\[((?:[^\]])*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(ET)/g)) {
        if (op[3]) {
          text += '\n';
          continue;
        }
        const parts = op[1] !== undefined ? [...op[1].matchAll(/<([0-9A-Fa-f]*)>|(-?\d+(?:\.\d+)?)/g)] : [[null, op[2]]];
        for (const p of parts) {
          if (p[1] === undefined || p[1] === null) {
            if (p[2] && Number(p[2]) < -200) text += ' ';
            continue;
          }
          const hex = p[1].toUpperCase();
          for (let i = 0; i + 4 <= hex.length; i += 4) text += map.get(hex.slice(i, i + 4)) ?? '';
        }
      }
      out.push(text);
    }
  }
  return out;
}

function hexText(h) {
  let s = '';
  for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
  return s;
}
