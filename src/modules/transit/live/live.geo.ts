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
    if (i > 0) dists[i] = dists[i - 1]! + Math.sqrt((xs[i]! - xs[i - 1]!) ** 2 + (ys[i]! - ys[i - 1]!) ** 2);
  }
  return { xs, ys, dists, length: n ? dists[n - 1]! : 0 };
}

export interface Projection {
  /** Metres along the shape of the nearest point. */
  dist: number;
  /** Metres from the shape. */
  offset: number;
}

const CHUNK = 16;
/** Bounding boxes of runs of CHUNK segments, so a search skips the runs that cannot hold a closer point. */
const chunkBoxes = new WeakMap<Float64Array, Float64Array>();

function boxesOf(shape: ShapeGeometry): Float64Array {
  let boxes = chunkBoxes.get(shape.xs);
  if (boxes) return boxes;
  const n = shape.xs.length;
  const count = Math.ceil((n - 1) / CHUNK);
  boxes = new Float64Array(count * 4);
  for (let c = 0; c < count; c++) {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = c * CHUNK; i <= Math.min(n - 1, (c + 1) * CHUNK); i++) {
      const x = shape.xs[i]!;
      const y = shape.ys[i]!;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    boxes.set([minX, minY, maxX, maxY], c * 4);
  }
  chunkBoxes.set(shape.xs, boxes);
  return boxes;
}

/** The first segment whose end lies at or after `fromDist` (0 from the start). */
function firstSegmentFrom(dists: ArrayLike<number>, n: number, fromDist: number): number {
  if (fromDist <= 0) return 0;
  let a = 0;
  let b = n - 1;
  while (a < b) {
    const m = (a + b) >> 1;
    if (dists[m + 1]! < fromDist) a = m + 1;
    else b = m;
  }
  return a;
}

/** The best point so far: squared offset (Math.hypot is slow; one square root at the end) and distance along. */
interface Nearest {
  offset2: number;
  dist: number;
}

/** Improves `best` with segments from..to-1 that start no farther than `toDist` (a plain loop: no closure per call). */
function scanSegments(shape: ShapeGeometry, x: number, y: number, from: number, to: number, toDist: number, best: Nearest): void {
  const { xs, ys, dists } = shape;
  for (let i = from; i < to; i++) {
    if (dists[i]! > toDist) return;
    const ax = xs[i]!;
    const ay = ys[i]!;
    const dx = xs[i + 1]! - ax;
    const dy = ys[i + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const ex = x - ax - t * dx;
    const ey = y - ay - t * dy;
    const offset2 = ex * ex + ey * ey;
    if (offset2 < best.offset2 || (offset2 === best.offset2 && dists[i]! + t * (dists[i + 1]! - dists[i]!) < best.dist)) {
      best.offset2 = offset2;
      best.dist = dists[i]! + t * (dists[i + 1]! - dists[i]!);
    }
  }
}

const answer = (best: Nearest): Projection | null => (best.offset2 === Infinity ? null : { dist: best.dist, offset: Math.sqrt(best.offset2) });

/**
 * The nearest point of the shape to (x, y), searched between two distances along it (a window around the
 * vehicle's last match keeps a loop or a route doubling back from matching the wrong leg). On equal distance
 * the earlier point wins. Runs of segments are skipped by their bounding boxes, nearest run first.
 */
export function projectOnto(shape: ShapeGeometry, x: number, y: number, fromDist = 0, toDist = Infinity): Projection | null {
  const { xs, ys, dists } = shape;
  const n = xs.length;
  if (n === 0) return null;
  if (n === 1) return { dist: 0, offset: Math.sqrt((x - xs[0]!) ** 2 + (y - ys[0]!) ** 2) };
  const lo = firstSegmentFrom(dists, n, fromDist);
  const boxes = boxesOf(shape);
  const best: Nearest = { offset2: Infinity, dist: 0 };
  const boxDistance2 = (c: number) => {
    const dx = Math.max(boxes[c * 4]! - x, 0, x - boxes[c * 4 + 2]!);
    const dy = Math.max(boxes[c * 4 + 1]! - y, 0, y - boxes[c * 4 + 3]!);
    return dx * dx + dy * dy;
  };
  const firstChunk = Math.floor(lo / CHUNK);
  const chunks = boxes.length / 4;
  // Start with the nearest run, so the best distance is small at once and most runs are skipped.
  let nearest = -1;
  let nearest2 = Infinity;
  for (let c = firstChunk; c < chunks; c++) {
    if (dists[c * CHUNK]! > toDist) break;
    const d2 = boxDistance2(c);
    if (d2 < nearest2) {
      nearest2 = d2;
      nearest = c;
    }
  }
  if (nearest >= 0) scanSegments(shape, x, y, Math.max(lo, nearest * CHUNK), Math.min(n - 1, (nearest + 1) * CHUNK), toDist, best);
  for (let c = firstChunk; c < chunks; c++) {
    if (dists[c * CHUNK]! > toDist) break;
    if (c === nearest || boxDistance2(c) > best.offset2) continue;
    scanSegments(shape, x, y, Math.max(lo, c * CHUNK), Math.min(n - 1, (c + 1) * CHUNK), toDist, best);
  }
  return answer(best);
}

/**
 * `projectOnto` for a short window of the shape (around a vehicle's last match): the same nearest point (on equal
 * distance the earlier one), found by one pass over the few segments of the window, without the boxes.
 */
export function projectWindow(shape: ShapeGeometry, x: number, y: number, fromDist: number, toDist: number): Projection | null {
  const n = shape.xs.length;
  if (n < 2) return projectOnto(shape, x, y, fromDist, toDist);
  const best: Nearest = { offset2: Infinity, dist: 0 };
  scanSegments(shape, x, y, firstSegmentFrom(shape.dists, n, fromDist), n - 1, toDist, best);
  return answer(best);
}

/**
 * Each pass of a window of the shape near (x, y): where a shape comes back past the same place (a loop through a
 * station, a street driven both ways, the lanes of a park and ride) the window holds several runs of segments within
 * `maxOffset` of the point; each run gives its nearest point, in order along the shape.
 */
export function passesNear(shape: ShapeGeometry, x: number, y: number, fromDist: number, toDist: number, maxOffset: number): Projection[] {
  const { xs, dists } = shape;
  const n = xs.length;
  if (n < 2) {
    const p = projectOnto(shape, x, y, fromDist, toDist);
    return p && p.offset <= maxOffset ? [p] : [];
  }
  const { ys } = shape;
  const max2 = maxOffset * maxOffset;
  const passes: Projection[] = [];
  // The current pass: its nearest squared offset and distance along (-1: not in a pass).
  let best2 = -1;
  let bestDist = 0;
  for (let i = firstSegmentFrom(dists, n, fromDist); i < n - 1 && dists[i]! <= toDist; i++) {
    const ax = xs[i]!;
    const ay = ys[i]!;
    const dx = xs[i + 1]! - ax;
    const dy = ys[i + 1]! - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    if (t < 0) t = 0;
    else if (t > 1) t = 1;
    const ex = x - ax - t * dx;
    const ey = y - ay - t * dy;
    const offset2 = ex * ex + ey * ey;
    if (offset2 > max2) {
      if (best2 >= 0) passes.push({ dist: bestDist, offset: Math.sqrt(best2) });
      best2 = -1;
    } else if (best2 < 0 || offset2 < best2) {
      best2 = offset2;
      bestDist = dists[i]! + t * (dists[i + 1]! - dists[i]!);
    }
  }
  if (best2 >= 0) passes.push({ dist: bestDist, offset: Math.sqrt(best2) });
  return passes;
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
