/** Planar geometry on a local equirectangular projection: good to a few metres across a city. */
const metresPerDegreeLat = 111_320;

export interface Projector {
  x(lon: number): number;
  y(lat: number): number;
}

export function projector(origin: { lat: number; lon: number }): Projector {
  const k = metresPerDegreeLat * Math.cos((origin.lat * Math.PI) / 180);
  return { x: (lon) => (lon - origin.lon) * k, y: (lat) => (lat - origin.lat) * metresPerDegreeLat };
}

export function haversine(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = 6_371_000;
  const dLat = ((lat2 - lat1) * Math.PI) / 180;
  const dLon = ((lon2 - lon1) * Math.PI) / 180;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos((lat1 * Math.PI) / 180) * Math.cos((lat2 * Math.PI) / 180) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.sqrt(a));
}

export interface ShapeGeometry {
  xs: Float64Array;
  ys: Float64Array;
  dists: Float64Array;
  length: number;
}

export function buildShape(points: { x: number; y: number }[]): ShapeGeometry {
  const n = points.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const dists = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = points[i]!.x;
    ys[i] = points[i]!.y;
    if (i > 0) dists[i] = dists[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
  }
  return { xs, ys, dists, length: n ? dists[n - 1]! : 0 };
}

export interface Projection {
  /** Metres along the shape of the nearest point. */
  dist: number;
  /** Metres from the shape. */
  offset: number;
}

/**
 * The nearest point of the shape to (x, y), searched between two distances along it (a window around the
 * vehicle's last match keeps a loop or a route doubling back from matching the wrong leg).
 */
export function projectOnto(shape: ShapeGeometry, x: number, y: number, fromDist = 0, toDist = Infinity): Projection | null {
  const { xs, ys, dists } = shape;
  const n = xs.length;
  if (n === 0) return null;
  if (n === 1) return { dist: 0, offset: Math.hypot(x - xs[0]!, y - ys[0]!) };
  let lo = 0;
  if (fromDist > 0) {
    let a = 0;
    let b = n - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (dists[m + 1]! < fromDist) a = m + 1;
      else b = m;
    }
    lo = a;
  }
  let best: Projection | null = null;
  for (let i = lo; i < n - 1; i++) {
    if (dists[i]! > toDist) break;
    const ax = xs[i]!;
    const ay = ys[i]!;
    const dx = xs[i + 1]! - ax;
    const dy = ys[i + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const px = ax + t * dx;
    const py = ay + t * dy;
    const offset = Math.hypot(x - px, y - py);
    if (!best || offset < best.offset) best = { dist: dists[i]! + t * (dists[i + 1]! - dists[i]!), offset };
  }
  return best;
}

/** The point at a distance along the shape. */
export function pointAt(shape: ShapeGeometry, dist: number): { x: number; y: number } {
  const { xs, ys, dists } = shape;
  const n = xs.length;
  if (n === 0) return { x: 0, y: 0 };
  if (dist <= 0) return { x: xs[0]!, y: ys[0]! };
  if (dist >= shape.length) return { x: xs[n - 1]!, y: ys[n - 1]! };
  let a = 0;
  let b = n - 1;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    if (dists[m]! <= dist) a = m;
    else b = m;
  }
  const seg = dists[b]! - dists[a]!;
  const t = seg > 0 ? (dist - dists[a]!) / seg : 0;
  return { x: xs[a]! + t * (xs[b]! - xs[a]!), y: ys[a]! + t * (ys[b]! - ys[a]!) };
}
