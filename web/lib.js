// The one place that imports the vendored UI libraries: Preact, its hooks and htm, and
// (on demand) Chart.js and the QR code generator. Other modules import `html`, the hooks
// and `render` from here, so a library upgrade or a path change in web/vendor/ touches
// only this file.

import { h, render, Fragment, createContext } from './vendor/preact/preact.js';
import {
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useMemo,
  useCallback,
  useContext,
  useId,
} from './vendor/preact/hooks.js';
import htm from './vendor/htm/htm.js';

export const html = htm.bind(h);
export {
  h,
  render,
  Fragment,
  createContext,
  useState,
  useEffect,
  useLayoutEffect,
  useRef,
  useMemo,
  useCallback,
  useContext,
  useId,
};

let chartModule = null;

/**
 * Loads Chart.js (web/vendor/chart.js, about 500 kB) the first time a page draws a chart,
 * so that the other pages never fetch it; resolves to the Chart class with the
 * controllers, elements, scales and plugins registered.
 */
export function loadChart() {
  if (!chartModule) {
    chartModule = import('./vendor/chart.js/chart.js').then((m) => {
      m.Chart.register(...m.registerables);
      return m.Chart;
    });
    chartModule.catch(() => {
      chartModule = null;
    });
  }
  return chartModule;
}

let qrModule = null;

/**
 * Loads qrcode-generator (web/vendor/qrcode-generator) the first time a page draws a QR
 * code (the dossier receipt slip); resolves to its factory, qrcode(typeNumber, level).
 */
export function loadQr() {
  if (!qrModule) {
    qrModule = import('./vendor/qrcode-generator/qrcode.js').then((m) => m.default);
    qrModule.catch(() => {
      qrModule = null;
    });
  }
  return qrModule;
}
