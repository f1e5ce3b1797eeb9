import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../../platform/context.js';
import { departmentSeed, listDepartments } from '../catalog/index.js';
import { importGtfs } from './transit.import.js';

const usage = 'Usage: npm run import-gtfs -- <feed.zip> --agency <department code>';

/** `import-gtfs <zip> --agency <code>`: prints the counts or the problems; exit code 0 ok, 1 rejected, 2 usage. */
export async function importGtfsCommand(ctx: AppContext, args: string[]): Promise<number> {
  let zip: string | undefined;
  let agency: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--agency') agency = args[++i];
    else if (a.startsWith('--agency=')) agency = a.slice('--agency='.length);
    else if (!zip && !a.startsWith('--')) zip = a;
    else {
      console.error(`Unknown argument "${a}"\n${usage}`);
      return 2;
    }
  }
  if (!zip || !agency) {
    console.error(usage);
    return 2;
  }
  if (!existsSync(zip) || !statSync(zip).isFile()) {
    console.error(`No such file: ${zip}`);
    return 2;
  }
  // The catalogue's departments, or those it is seeded with (a database not seeded yet).
  const departments = [...(await listDepartments(ctx.db)).map((d) => d.code), ...departmentSeed.map((d) => d.code)];
  if (!departments.includes(agency)) {
    console.error(`"${agency}" is not a department code in the catalogue (e.g. bus-group, xinjin-transport)`);
    return 2;
  }
  const result = await importGtfs(ctx.db, path.resolve(zip), { agencyCode: agency, sourceName: path.basename(zip), audit: { actorType: 'system' } });
  for (const p of result.problems) {
    console.error(`${p.severity === 'error' ? 'ERROR' : 'warning'} ${p.file}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
  }
  if (result.moreProblems > 0) console.error(`… and ${result.moreProblems} more problems`);
  if (!result.ok) {
    console.error(`Feed rejected: ${agency} keeps its current timetable.`);
    return 1;
  }
  const c = result.counts;
  console.log(
    `Imported ${path.basename(zip)} for ${agency} as version ${result.version} in ${(result.millis / 1000).toFixed(1)} s: ` +
      `${c.agencies} agencies, ${c.routes} routes, ${c.stops} stops, ${c.trips} trips, ${c.stopTimes} stop times, ` +
      `${c.shapes} shapes, ${c.frequencies} frequencies, ${c.calendars} calendars, ${c.calendarDates} calendar dates. It is active now.`,
  );
  return 0;
}
