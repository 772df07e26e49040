// The one place that imports the vendored UI libraries: Preact, its hooks and htm.
// Other modules import `html`, the hooks and `render` from here, so a library upgrade
// or a path change in web/vendor/ touches only this file.

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
