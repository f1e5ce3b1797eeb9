import { ConfigError, loadConfig } from './config.js';
import { createContext, closeContext } from './platform/bootstrap.js';
import { verifyAuditChain } from './platform/audit/audit.js';
import { modules } from './app.js';
import { serve } from './server.js';
import { rotateSigningKey } from './modules/certificates/index.js';
import { importGtfsCommand } from './modules/transit/transit.command.js';

const usage = `Usage: servicehall <command>

Commands:
  serve          migrate, seed the demo data (SEED_DEMO), run jobs and serve HTTP (default)
  worker         run jobs only
  migrate        apply database migrations and exit
  seed           write the demo data (idempotent) and exit
  audit-verify   check the audit log's hash chain; names the first tampered record
  rotate-credential-key  retire the credential issuer key (it stays published) and sign with a new one
  import-gtfs <zip> --agency <code>   import a GTFS timetable for a transit department (replaces it atomically)
  transit-replay <avl csv|dir> --speed <x> --url <base> --token <t>   send a recorded AVL trace to the positions API
  transit-accuracy [dir] [--dwell s]   replay the WMATA AVL traces and print the prediction error by horizon`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === 'help') {
    console.log(usage);
    return 0;
  }
  // Transit tools that talk to a server over HTTP or run in memory: no database of their own.
  if (command === 'transit-replay' || command === 'transit-accuracy') return transitTool(command, argv.slice(1));
  const config = loadConfig();
  const ctx = await createContext(config);
  switch (command) {
    case 'serve': {
      if (config.seedDemo) await seed(ctx);
      await serve(ctx);
      const lines = modules.flatMap((m) => m.demoAccounts?.(ctx) ?? []);
      console.log(`\nServiceHall is serving http://${config.host}:${config.port} (database: ${ctx.database.kind})`);
      if (config.seedDemo && lines.length) console.log(`\nDemo sign-ins:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
      return -1; // keep running
    }
    case 'worker':
      for (const m of modules) await m.defineJobs?.(ctx);
      await ctx.jobs.work();
      console.log('ServiceHall worker is running jobs');
      return -1;
    case 'migrate':
      console.log('Migrations applied');
      break;
    case 'seed':
      await seed(ctx);
      console.log('Demo data written');
      break;
    case 'audit-verify': {
      const report = await verifyAuditChain(ctx.db);
      // The head hash lets an operator notice removal of the newest records: note it and compare next time.
      if (report.ok) console.log(`Audit chain intact: ${report.checked} records checked; head hash ${report.headHash}`);
      else console.error(`Audit chain broken at record ${report.firstBadSeq}: ${report.reason} (${report.checked} records before it are intact)`);
      await closeContext(ctx);
      return report.ok ? 0 : 1;
    }
    case 'rotate-credential-key': {
      const result = await ctx.db.transaction((tx) => rotateSigningKey(tx, ctx));
      console.log(`Issuer key rotated: now signing with ${result.active}${result.retired ? `; ${result.retired} retired and still published` : ''}`);
      break;
    }
    case 'import-gtfs': {
      const code = await importGtfsCommand(ctx, argv.slice(1));
      await closeContext(ctx);
      return code;
    }
    default:
      console.error(`Unknown command "${command}"\n\n${usage}`);
      await closeContext(ctx);
      return 2;
  }
  await closeContext(ctx);
  return 0;
}

async function transitTool(command: string, args: string[]): Promise<number> {
  if (command === 'transit-replay') {
    const { parseReplayArgs, replay, replayUsage } = await import('./modules/transit/live/live.replay.js');
    const options = parseReplayArgs(args);
    if (typeof options === 'string') {
      console.error(`${options}\n\n${replayUsage}`);
      return 2;
    }
    const result = await replay({ ...options, log: (line) => console.log(line) });
    console.log(`Replayed ${result.sent} positions in ${result.requests} requests; ${result.accepted} accepted`);
    return 0;
  }
  const { measureWmataAccuracy, formatAccuracy } = await import('./modules/transit/live/live.accuracy.js');
  const dwellAt = args.indexOf('--dwell');
  const dwellSeconds = dwellAt >= 0 ? Number(args[dwellAt + 1]) : 0;
  if (!Number.isFinite(dwellSeconds) || dwellSeconds < 0 || dwellSeconds > 300) {
    console.error('--dwell must be a number of seconds from 0 to 300');
    return 2;
  }
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--dwell');
  console.log(formatAccuracy(measureWmataAccuracy(dir, { dwellSeconds })));
  return 0;
}

async function seed(ctx: Awaited<ReturnType<typeof createContext>>) {
  for (const m of modules) await m.seed?.(ctx);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
