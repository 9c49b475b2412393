// Client-overhead benchmark of the JS SDK `@azure/arm-cosmosdb` against the local ARM endpoint.
//
// Run by `cargo xtask bench` (never by hand), with NODE_EXTRA_CA_CERTS set to the endpoint's CA:
// the same scenarios as `arm-bench client`, printing one JSON line with the wall time and this
// process's CPU time (process.cpuUsage: all threads) over the timed loop only.
//
//   node js_client.mjs --url URL --subscription SUB --scenario get|list|lro --iterations N --warmup W

import { CosmosDBManagementClient } from "@azure/arm-cosmosdb";

const RESOURCE_GROUP = "bench-rg";
const ACCOUNT = "bench-account-0000";
const DATABASE = "bench-db";

function parseArgs(argv) {
  const args = { warmup: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, "");
    args[name] = argv[i + 1];
  }
  for (const required of ["url", "subscription", "scenario", "iterations"]) {
    if (args[required] === undefined) throw new Error(`--${required} is required`);
  }
  args.iterations = Number(args.iterations);
  args.warmup = Number(args.warmup);
  return args;
}

const args = parseArgs(process.argv.slice(2));
// A static token: the local endpoint accepts any non-empty one.
const credential = {
  getToken: async () => ({ token: "bench-token", expiresOnTimestamp: Date.now() + 3600 * 1000 }),
};
const client = new CosmosDBManagementClient(credential, args.subscription, { endpoint: args.url });
// The SDK flattens `properties` (x-ms-client-flatten): `resource` sits at the top.
const parameters = { resource: { id: DATABASE } };

async function once() {
  switch (args.scenario) {
    case "get": {
      const account = await client.databaseAccounts.get(RESOURCE_GROUP, ACCOUNT);
      if (account.name !== ACCOUNT) throw new Error(`unexpected account ${account.name}`);
      return 1;
    }
    case "list": {
      let items = 0;
      for await (const _account of client.databaseAccounts.list()) items += 1;
      return items;
    }
    case "lro": {
      const result = await client.sqlResources.createUpdateSqlDatabase(
        RESOURCE_GROUP,
        ACCOUNT,
        DATABASE,
        parameters,
        { updateIntervalInMs: 0 },
      );
      if (result.name !== DATABASE) throw new Error(`unexpected result ${JSON.stringify(result)}`);
      return 1;
    }
    default:
      throw new Error(`unknown scenario ${args.scenario}`);
  }
}

for (let i = 0; i < args.warmup; i += 1) await once();
let items = 0;
const cpu = process.cpuUsage();
const wall = process.hrtime.bigint();
for (let i = 0; i < args.iterations; i += 1) items += await once();
const wallS = Number(process.hrtime.bigint() - wall) / 1e9;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    client: "js",
    scenario: args.scenario,
    operations: args.iterations,
    items,
    wall_s: wallS,
    cpu_s: (used.user + used.system) / 1e6,
  }),
);
