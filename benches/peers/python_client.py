"""Client-overhead benchmark of the Python SDK `azure-mgmt-cosmosdb` against the local ARM endpoint.

Run by `cargo xtask bench` (never by hand): the same scenarios as `arm-bench client`, printing one
JSON line with the wall time and this process's CPU time (all threads) over the timed loop only.

    python python_client.py --url URL --ca CA_PEM --subscription SUB --scenario get|list|lro \
        --iterations N --warmup W
"""

import argparse
import json
import time

from azure.core.credentials import AccessToken
from azure.mgmt.cosmosdb import CosmosDBManagementClient
from azure.mgmt.cosmosdb import models

RESOURCE_GROUP = "bench-rg"
ACCOUNT = "bench-account-0000"
DATABASE = "bench-db"


class StaticToken:
    """A credential that hands out one token (the local endpoint accepts any non-empty one)."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken("bench-token", int(time.time()) + 3600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--subscription", required=True)
    parser.add_argument("--scenario", required=True, choices=["get", "list", "lro"])
    parser.add_argument("--iterations", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=0)
    args = parser.parse_args()

    client = CosmosDBManagementClient(
        StaticToken(),
        args.subscription,
        base_url=args.url,
        connection_verify=args.ca,
        polling_interval=0,
    )
    parameters = models.SqlDatabaseCreateUpdateParameters(
        properties=models.SqlDatabaseCreateUpdateProperties(
            resource=models.SqlDatabaseResource(id=DATABASE)
        )
    )

    def once():
        if args.scenario == "get":
            account = client.database_accounts.get(RESOURCE_GROUP, ACCOUNT)
            assert account.name == ACCOUNT
            return 1
        if args.scenario == "list":
            return sum(1 for _ in client.database_accounts.list())
        poller = client.sql_resources.begin_create_update_sql_database(
            RESOURCE_GROUP, ACCOUNT, DATABASE, parameters, polling_interval=0
        )
        result = poller.result()
        assert result.name == DATABASE, result
        return 1

    for _ in range(args.warmup):
        once()
    items = 0
    cpu = time.process_time()
    wall = time.perf_counter()
    for _ in range(args.iterations):
        items += once()
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    print(
        json.dumps(
            {
                "client": "python",
                "scenario": args.scenario,
                "operations": args.iterations,
                "items": items,
                "wall_s": wall,
                "cpu_s": cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
