// The two islands of the transit pages, served as small plain scripts (no build step). Pages work without
// them: the map then shows the buses as they were when the page was made, and nearby search is a form.

/** Live map: moves the buses of the route map from the live engine's server-sent events. */
export const mapScript = `
const svg = document.getElementById('route-map');
if (svg && 'EventSource' in window) {
  const g = svg.querySelector('#buses');
  const ns = 'http://www.w3.org/2000/svg';
  const lon0 = Number(svg.dataset.lon0), lat0 = Number(svg.dataset.lat0), kx = Number(svg.dataset.kx), ky = Number(svg.dataset.ky);
  const place = (v) => {
    if (typeof v.lat !== 'number' || typeof v.lon !== 'number') return;
    const id = 'bus-' + v.vehicleId;
    let c = document.getElementById(id);
    if (!c) {
      c = document.createElementNS(ns, 'circle');
      c.setAttribute('id', id);
      c.setAttribute('r', '9');
      c.setAttribute('fill', '#d4351c');
      c.setAttribute('stroke', '#fff');
      c.setAttribute('stroke-width', '2');
      const title = document.createElementNS(ns, 'title');
      title.textContent = String(v.vehicleId);
      c.appendChild(title);
      g.appendChild(c);
    }
    c.setAttribute('cx', String(Math.round((v.lon - lon0) * kx * 10) / 10));
    c.setAttribute('cy', String(Math.round((lat0 - v.lat) * ky * 10) / 10));
  };
  const remove = (v) => document.getElementById('bus-' + v.vehicleId)?.remove();
  const es = new EventSource(svg.dataset.events);
  es.addEventListener('snapshot', (e) => {
    const list = JSON.parse(e.data);
    const keep = new Set(list.map((v) => 'bus-' + v.vehicleId));
    for (const c of Array.from(g.children)) if (!keep.has(c.id)) c.remove();
    list.forEach(place);
  });
  es.addEventListener('vehicle', (e) => place(JSON.parse(e.data)));
  es.addEventListener('gone', (e) => remove(JSON.parse(e.data)));
}
`;

/** Nearby stops: shows "use my location" when the browser can tell it, and fills the form with it. */
export const nearbyScript = `
const button = document.getElementById('locate');
const form = document.getElementById('nearby-form');
const status = document.getElementById('locate-status');
if (button && form && 'geolocation' in navigator) {
  button.hidden = false;
  button.addEventListener('click', () => {
    status.textContent = button.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      (p) => {
        form.elements.lat.value = p.coords.latitude.toFixed(5);
        form.elements.lon.value = p.coords.longitude.toFixed(5);
        form.submit();
      },
      () => { status.textContent = button.dataset.failed; },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 },
    );
  });
}
`;
