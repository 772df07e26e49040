// The unit hierarchy as an ARIA tree (WAI-ARIA APG "tree view" pattern).
//
// Children are loaded lazily with GET /api/v1/units?parent=ID&date=D&limit=1000 the first
// time a node is expanded. One treeitem is in the tab order at a time (roving tabindex);
// Up/Down move through visible items, Right expands or enters, Left collapses or goes to
// the parent, Home/End jump, Enter opens the unit page. The expand/collapse mark is
// clickable with the mouse; the name opens the unit page.

import { html, useState, useEffect, useRef } from './lib.js';
import { useApp } from './context.js';
import { get, getAll } from './api.js';
import { problemText, GeneratedBadge } from './components.js';
import { formatDate } from './i18n.js';

const loadChildren = (parentId, date) => getAll('/units', { parent: parentId, date });

function domId(prefix, id) {
  return `${prefix}-${String(id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The tree rooted at unit 'rootId' as of 'date'. 'onOpen(unit)' is called when the user
 * opens a unit (click on its name, or Enter); 'describedBy' is the id of the usage hint.
 */
export function UnitTree({ rootId, date, onOpen, describedBy }) {
  const { t } = useApp();
  // id -> {unit, childIds: null | [id], expanded, loading}
  const [nodes, setNodes] = useState({});
  const [activeId, setActiveId] = useState(null);
  const [rootKey, setRootKey] = useState(null);
  // The date the loaded nodes belong to: until the root of a new date arrives, the old
  // tree must not be shown under the new date.
  const [loadedDate, setLoadedDate] = useState(null);
  const [rootErr, setRootErr] = useState(null);
  const [status, setStatus] = useState('');
  const focusAfter = useRef(null);
  const prefix = useRef(`tree${Math.random().toString(36).slice(2, 8)}`).current;

  useEffect(() => {
    let live = true;
    setNodes({});
    setRootErr(null);
    setActiveId(null);
    setRootKey(null);
    get(`/units/${encodeURIComponent(rootId)}`, { date })
      .then((unit) => {
        if (!live) return;
        setNodes({ [unit.id]: { unit, childIds: null, expanded: false, loading: false } });
        setActiveId(unit.id);
        setRootKey(unit.id);
        setLoadedDate(date);
      })
      .catch((e) => live && setRootErr(e));
    return () => {
      live = false;
    };
  }, [rootId, date]);

  useEffect(() => {
    if (focusAfter.current != null) {
      const el = document.getElementById(domId(prefix, focusAfter.current));
      focusAfter.current = null;
      if (el) el.focus();
    }
  });

  const hasChildren = (node) =>
    node.childIds ? node.childIds.length > 0 : node.unit.children === undefined || node.unit.children > 0;

  const expand = async (id) => {
    const node = nodes[id];
    if (!node || !hasChildren(node)) return;
    if (node.childIds) {
      setNodes((prev) => ({ ...prev, [id]: { ...prev[id], expanded: true } }));
      return;
    }
    setNodes((prev) => ({ ...prev, [id]: { ...prev[id], loading: true } }));
    setStatus(t('tree.loading', { name: node.unit.name }));
    try {
      const items = await loadChildren(id, date);
      setNodes((prev) => {
        const next = { ...prev };
        for (const u of items) {
          if (!next[u.id]) next[u.id] = { unit: u, childIds: null, expanded: false, loading: false };
        }
        next[id] = { ...prev[id], childIds: items.map((u) => u.id), expanded: true, loading: false };
        return next;
      });
      setStatus(t('tree.loaded', { name: node.unit.name, count: items.length }));
    } catch (e) {
      setNodes((prev) => ({ ...prev, [id]: { ...prev[id], loading: false } }));
      setStatus(problemText(t, e));
    }
  };

  const collapse = (id) =>
    setNodes((prev) => ({ ...prev, [id]: { ...prev[id], expanded: false } }));

  const toggle = (id) => (nodes[id].expanded ? collapse(id) : expand(id));

  // Visible items in display order, each with its parent id.
  const rootNodeId = rootKey != null && nodes[rootKey] && loadedDate === date ? rootKey : null;
  const visible = [];
  const walk = (id, parentId) => {
    const node = nodes[id];
    if (!node) return;
    visible.push({ id, parentId });
    if (node.expanded && node.childIds) node.childIds.forEach((c) => walk(c, id));
  };
  if (rootNodeId != null) walk(rootNodeId, null);

  const moveTo = (id) => {
    if (id == null) return;
    focusAfter.current = id;
    setActiveId(id);
  };

  const onKeyDown = (ev) => {
    const item = ev.target.closest('[role="treeitem"]');
    if (!item || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const id = item.dataset.id;
    const idx = visible.findIndex((v) => String(v.id) === id);
    if (idx < 0) return;
    const { id: realId, parentId } = visible[idx];
    const node = nodes[realId];
    let handled = true;
    switch (ev.key) {
      case 'ArrowDown':
        if (idx + 1 < visible.length) moveTo(visible[idx + 1].id);
        break;
      case 'ArrowUp':
        if (idx > 0) moveTo(visible[idx - 1].id);
        break;
      case 'ArrowRight':
        if (hasChildren(node)) {
          if (!node.expanded) expand(realId);
          else if (node.childIds && node.childIds.length) moveTo(node.childIds[0]);
        }
        break;
      case 'ArrowLeft':
        if (node.expanded) collapse(realId);
        else if (parentId != null) moveTo(parentId);
        break;
      case 'Home':
        moveTo(visible[0].id);
        break;
      case 'End':
        moveTo(visible[visible.length - 1].id);
        break;
      case 'Enter':
        onOpen(node.unit);
        break;
      case ' ':
        toggle(realId);
        break;
      default:
        handled = false;
    }
    if (handled) {
      ev.preventDefault();
      ev.stopPropagation();
    }
  };

  if (rootErr) {
    return html`<p class="alert alert-error" role="alert">
      ${rootErr.status === 404
        ? t('tree.no_root', { date: formatDate(t, date) })
        : problemText(t, rootErr)}
    </p>`;
  }
  if (rootNodeId == null) return html`<p class="loading" role="status">${t('common.loading')}</p>`;

  const renderItem = (id, level, pos, size) => {
    const node = nodes[id];
    const u = node.unit;
    const expandable = hasChildren(node);
    const itemId = domId(prefix, id);
    return html`<li
      role="treeitem"
      id=${itemId}
      data-id=${String(id)}
      aria-labelledby=${`${itemId}-name`}
      aria-describedby=${`${itemId}-desc`}
      aria-expanded=${expandable ? String(!!node.expanded) : undefined}
      aria-busy=${node.loading ? 'true' : undefined}
      aria-level=${level}
      aria-posinset=${pos}
      aria-setsize=${size}
      tabindex=${String(id) === String(activeId) ? 0 : -1}
      onFocus=${(ev) => {
        if (ev.target === ev.currentTarget) setActiveId(id);
      }}
    >
      <div class="tree-row">
        <span
          class=${`toggle${expandable ? '' : ' leaf'}${node.expanded ? ' open' : ''}`}
          aria-hidden="true"
          onClick=${(ev) => {
            ev.stopPropagation();
            setActiveId(id);
            if (expandable) toggle(id);
          }}
        ></span>
        <span class="tree-label">
          <span
            class="tree-name"
            id=${`${itemId}-name`}
            onClick=${(ev) => {
              ev.stopPropagation();
              onOpen(u);
            }}
            >${u.name}</span
          >
          <span class="tree-meta" id=${`${itemId}-desc`}>
            <span class="code">${u.code}</span>
            <span class="kind">${t(`kind.${u.kind}`)}</span>
            ${u.generated && html`<${GeneratedBadge} />`}
            ${node.loading && html`<span class="busy">${t('common.loading')}</span>`}
          </span>
        </span>
      </div>
      ${node.expanded &&
      node.childIds &&
      node.childIds.length > 0 &&
      html`<ul role="group">
        ${node.childIds.map((c, i) => renderItem(c, level + 1, i + 1, node.childIds.length))}
      </ul>`}
    </li>`;
  };

  return html`<div class="tree-wrap">
    <ul
      role="tree"
      class="tree"
      aria-label=${t('tree.label')}
      aria-describedby=${describedBy}
      data-date=${loadedDate}
      onKeyDown=${onKeyDown}
    >
      ${renderItem(rootNodeId, 1, 1, 1)}
    </ul>
    <p class="sr-only" role="status" aria-live="polite">${status}</p>
  </div>`;
}
