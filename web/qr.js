// A QR code drawn as SVG (no canvas, no image URL, nothing inline that the CSP forbids):
// qrcode-generator (loaded on demand by loadQr) works out the modules, and each row's runs
// of dark modules become one path. The quiet zone of four modules is part of the picture.

import { html, useState, useEffect, loadQr } from './lib.js';

const QUIET = 4;

/**
 * The SVG path of the dark modules of 'qr' (a made qrcode-generator object): one
 * "M x y h n v 1 h -n z" per run of dark modules in a row.
 */
export function qrPath(qr) {
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.isDark(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.isDark(r, c)) c++;
      d += `M${start} ${r}h${c - start}v1h-${c - start}z`;
    }
  }
  return d;
}

/**
 * The QR code of 'text' (error correction level M, byte mode, the smallest version that
 * holds it) as an image named by 'label'. 'loadingText' stands in while the generator
 * loads; 'errorText' if it cannot be drawn.
 */
export function QrCode({ text, label, loadingText, errorText }) {
  const [drawn, setDrawn] = useState(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setDrawn(null);
    setFailed(false);
    loadQr()
      .then((qrcode) => {
        const qr = qrcode(0, 'M');
        qr.addData(text, 'Byte');
        qr.make();
        if (live) setDrawn({ n: qr.getModuleCount(), d: qrPath(qr) });
      })
      .catch((err) => {
        console.error(err);
        if (live) setFailed(true);
      });
    return () => {
      live = false;
    };
  }, [text]);
  if (failed) return html`<p class="qr-missing">${errorText}</p>`;
  if (!drawn) return html`<p class="qr-missing" role="status">${loadingText}</p>`;
  const size = drawn.n + 2 * QUIET;
  return html`<svg
    class="qr"
    role="img"
    aria-label=${label}
    viewBox=${`${-QUIET} ${-QUIET} ${size} ${size}`}
    shape-rendering="crispEdges"
    data-modules=${drawn.n}
  >
    <rect x=${-QUIET} y=${-QUIET} width=${size} height=${size} fill="#ffffff" />
    <path d=${drawn.d} fill="#000000" />
  </svg>`;
}
