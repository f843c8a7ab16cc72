// The tooltip layer of the charts and maps: see tooltips.rs. Under the
// pointer, in keyboard focus, and on a touch screen's first tap.
(() => {
  'use strict';
  let shown = null;

  const hide = () => {
    if (!shown) return;
    shown.tip.hidden = true;
    shown.cursor?.setAttribute('width', '0');
    shown = null;
  };

  // The day of a chart's layer under the pointer: the lines of its row of
  // the chart's table, and its column in the SVG's units.
  const day = (layer, clientX) => {
    const hit = layer.querySelector('.chart-hit');
    const box = hit.getBoundingClientRect();
    const x = Number(hit.getAttribute('x'))
      + ((clientX - box.left) / box.width) * Number(hit.getAttribute('width'));
    const days = layer.dataset.days.split(' ').map(Number);
    const i = days.reduce((best, d, k) => (Math.abs(d - x) < Math.abs(days[best] - x) ? k : best), 0);
    const edge = (k) => (days[Math.max(0, Math.min(days.length - 1, k))] + days[i]) / 2;
    const panel = layer.closest('.chart-panel');
    const names = [...panel.querySelectorAll('thead th')].map((th) => th.textContent);
    const [date, ...values] = [...panel.querySelectorAll('tbody tr')[i].cells].map((c) => c.textContent);
    const lines = values.flatMap((value, k) => (value === '—' ? [] : [`${names[k + 1]}: ${value}`]));
    return { text: [date, ...lines].join('\n'), left: edge(i - 1), width: Math.max(edge(i + 1) - edge(i - 1), 1) };
  };

  const show = (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const area = target?.closest('[data-tip]');
    const layer = area ? null : target?.closest('.chart-hover');
    const frame = (area ?? layer)?.closest('.chart, .map');
    if (!frame) return hide();
    let tip = frame.querySelector(':scope > .tip');
    if (!tip) {
      tip = frame.appendChild(document.createElement('div'));
      tip.className = 'tip';
      tip.setAttribute('aria-hidden', 'true');
    }
    if (shown?.tip !== tip) hide();
    let text = area?.dataset.tip;
    let cursor = null;
    if (layer) {
      const found = day(layer, event.clientX);
      text = found.text;
      cursor = layer.querySelector('.chart-cursor');
      cursor.setAttribute('x', found.left);
      cursor.setAttribute('width', found.width);
    }
    tip.textContent = text;
    tip.hidden = false;
    shown = { tip, cursor };
    // Beside the pointer, on the side of the frame with more room.
    const box = frame.getBoundingClientRect();
    const x = event.clientX - box.left;
    tip.style.left = `${x > box.width / 2 ? x - 12 - tip.offsetWidth : x + 12}px`;
    tip.style.top = `${event.clientY - box.top + 12}px`;
  };

  // A place in focus (by keyboard) says its value, as under the pointer,
  // beside its shape.
  const focused = (event) => {
    const area = event.target instanceof Element ? event.target.closest('[data-tip]') : null;
    if (!area) return hide();
    const box = area.getBoundingClientRect();
    show({ target: area, clientX: box.left + box.width / 2, clientY: box.top + box.height / 2 });
  };

  // On a touch screen the first tap on a place shows its value; a second
  // tap on the same place opens it (a click anywhere else starts again).
  let pointer = 'mouse';
  let armed = null;
  const tap = (event) => {
    const area = event.target instanceof Element ? event.target.closest('[data-tip][data-href]') : null;
    if (pointer !== 'touch' || !area) {
      armed = null;
      return;
    }
    if (armed === area) {
      armed = null;
      return;
    }
    armed = area;
    event.preventDefault();
    event.stopPropagation();
    const again = document.documentElement.lang === 'en' ? 'Tap again to open' : 'Toque de novo para abrir';
    if (shown) shown.tip.textContent = `${area.dataset.tip}\n${again}`;
  };

  document.addEventListener('pointermove', show, { passive: true });
  document.addEventListener('pointerdown', (event) => {
    pointer = event.pointerType;
    show(event);
  }, { passive: true });
  document.addEventListener('click', tap, { capture: true });
  document.addEventListener('focusin', focused);
  document.addEventListener('focusout', hide);
  document.documentElement.addEventListener('pointerleave', hide);
})();
