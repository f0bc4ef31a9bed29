// Reading the account's schema registries, through the real SDK client against a stand-in endpoint on 127.0.0.1 that
// speaks the Schemas REST-JSON protocol for the three calls used (moto does not implement Schemas), and the cache on
// disk. Hermetic: every AWS_* variable is cleared, the credentials are the fixed local dummy ones.
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../../client/src/aws/clients';
import {
  cacheIsStale,
  connectionKey,
  createSchemasClient,
  fetchRegistrySchemas,
  readSchemaCache,
  SCHEMA_CACHE_FORMAT,
  SCHEMA_CACHE_MAX_AGE_MS,
  sdkSchemasApi,
  writeSchemaCache,
  type SchemaCache,
} from '../../../client/src/aws/schemaRegistries';
import { awsVariablesSet } from '../hermeticAws';

/** A discovered-schema document as the registry stores it (OpenAPI 3), for one source and detail-type. */
function openApi(source: string, detailType: string, detail: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: '3.0.0',
    info: { version: '1.0.0', title: detailType },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          'x-amazon-events-source': source,
          'x-amazon-events-detail-type': detailType,
          properties: { detail: { $ref: '#/components/schemas/Detail' }, source: { type: 'string' } },
        },
        Detail: { type: 'object', properties: detail },
      },
    },
  });
}

const REGISTRY: Record<string, Record<string, { content: string; version: string }>> = {
  'discovered-schemas': {
    'com.example.orders@OrderPlaced': {
      content: openApi('com.example.orders', 'Order Placed', {
        orderId: { type: 'string' },
        status: { type: 'string', enum: ['PLACED', 'CANCELLED'] },
      }),
      version: '4',
    },
    // A longer source with the same prefix: not the one asked for.
    'com.example.orders-v2@OrderPlaced': {
      content: openApi('com.example.orders-v2', 'Order Placed', { id: { type: 'string' } }),
      version: '1',
    },
    'com.example.orders@Broken': { content: '{"openapi": ', version: '1' },
  },
  'aws.events': {
    'aws.s3@ObjectCreated': { content: openApi('aws.s3', 'Object Created', {}), version: '1' },
  },
  'shop-events': {
    'com.example.payments@PaymentAuthorized': {
      content: openApi('com.example.payments', 'Payment Authorized', { amount: { type: 'string' } }),
      version: '2',
    },
  },
};

let server: Server;
let url: string;
const requests: string[] = [];
let failWith: { status: number; type: string; message: string } | undefined;

before(async () => {
  server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${u.pathname}${u.search}`);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (failWith) {
      json(failWith.status, { Message: failWith.message }, { 'x-amzn-errortype': failWith.type });
      return;
    }
    if (u.pathname === '/v1/registries') {
      // Two pages, as the service pages.
      const names = Object.keys(REGISTRY);
      if (u.searchParams.get('nextToken') === 'page-2')
        return json(200, { Registries: names.slice(2).map((RegistryName) => ({ RegistryName })) });
      return json(200, {
        Registries: names.slice(0, 2).map((RegistryName) => ({ RegistryName })),
        NextToken: 'page-2',
      });
    }
    const list = /^\/v1\/registries\/name\/([^/]+)\/schemas$/.exec(u.pathname);
    if (list) {
      const prefix = u.searchParams.get('schemaNamePrefix') ?? '';
      const names = Object.keys(REGISTRY[decodeURIComponent(list[1])] ?? {}).filter((n) => n.startsWith(prefix));
      return json(200, { Schemas: names.map((SchemaName) => ({ SchemaName, VersionCount: 1 })) });
    }
    const describe = /^\/v1\/registries\/name\/([^/]+)\/schemas\/name\/([^/]+)$/.exec(u.pathname);
    if (describe) {
      const found = REGISTRY[decodeURIComponent(describe[1])]?.[decodeURIComponent(describe[2])];
      if (!found) return json(404, { Message: 'Schema not found' }, { 'x-amzn-errortype': 'NotFoundException' });
      return json(200, {
        Content: found.content,
        SchemaName: decodeURIComponent(describe[2]),
        SchemaVersion: found.version,
        Type: 'OpenApi3',
      });
    }
    json(404, { Message: 'no such route' }, { 'x-amzn-errortype': 'NotFoundException' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const connection = (endpoint: string): Connection => ({
  region: 'eu-west-1',
  endpoints: { eventbridge: endpoint },
  credentialSource: 'local-dummy',
  localBus: false,
});

describe('schema registries through the SDK', () => {
  it('lists every registry but AWS own, the schemas of each wanted source, and converts them', async () => {
    assert.deepEqual(awsVariablesSet(), []);
    requests.length = 0;
    const made = createSchemasClient(connection(url));
    assert.ok(made.ok);
    try {
      const result = await fetchRegistrySchemas(sdkSchemasApi(made.client), [
        'com.example.orders',
        'com.example.payments',
      ]);
      assert.deepEqual(result.registries, ['discovered-schemas', 'shop-events']);
      assert.deepEqual(
        result.schemas.map((s) => [s.source, s.detailType, s.origin]),
        [
          [
            'com.example.orders',
            'Order Placed',
            {
              kind: 'registry',
              registryName: 'discovered-schemas',
              schemaName: 'com.example.orders@OrderPlaced',
              version: '4',
            },
          ],
          [
            'com.example.payments',
            'Payment Authorized',
            {
              kind: 'registry',
              registryName: 'shop-events',
              schemaName: 'com.example.payments@PaymentAuthorized',
              version: '2',
            },
          ],
        ],
      );
      const status = result.schemas[0].fields.find((f) => f.path === 'status');
      assert.deepEqual(status?.examples, ['PLACED', 'CANCELLED']);
      assert.equal(result.problems.length, 1);
      assert.match(result.problems[0], /^discovered-schemas\/com\.example\.orders@Broken: the schema is not JSON/);
      assert.ok(!requests.some((r) => r.includes('aws.events')), 'AWS own registry is not read');
      assert.ok(requests.includes('GET /v1/registries?limit=100&nextToken=page-2'), requests.join('\n'));
      assert.ok(
        requests.some(
          (r) =>
            r.startsWith('GET /v1/registries/name/shop-events/schemas?') &&
            r.includes('schemaNamePrefix=com.example.payments'),
        ),
        requests.join('\n'),
      );
    } finally {
      made.client.destroy();
    }
  });

  it('a refusal of the whole call rejects with the service error; nothing listens: rejects too', async () => {
    const made = createSchemasClient(connection(url));
    assert.ok(made.ok);
    failWith = { status: 403, type: 'ForbiddenException', message: 'not allowed' };
    try {
      await assert.rejects(fetchRegistrySchemas(sdkSchemasApi(made.client), ['com.example.orders']), (e: Error) => {
        assert.equal(e.name, 'ForbiddenException');
        return true;
      });
    } finally {
      failWith = undefined;
      made.client.destroy();
    }
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = createSchemasClient(connection(`http://127.0.0.1:${port}`));
    assert.ok(nowhere.ok);
    try {
      await assert.rejects(fetchRegistrySchemas(sdkSchemasApi(nowhere.client), ['com.example.orders']));
    } finally {
      nowhere.client.destroy();
    }
  });

  it('the local bus has no registries', () => {
    const made = createSchemasClient({ ...connection(url), localBus: true });
    assert.equal(made.ok, false);
  });
});

describe('the schema cache on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ebp-schema-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, and unreadable or foreign files read as no cache', async () => {
    const path = join(dir, 'nested', 'cache.json');
    assert.equal(await readSchemaCache(path), undefined);
    const cache: SchemaCache = {
      format: SCHEMA_CACHE_FORMAT,
      connection: connectionKey(connection(url)),
      fetchedAt: '2026-12-05T04:00:00Z',
      sources: ['com.example.orders'],
      schemas: [
        {
          source: 'com.example.orders',
          detailType: 'Order Placed',
          samples: 0,
          origin: { kind: 'registry', registryName: 'r', schemaName: 's' },
          fields: [],
          truncated: false,
        },
      ],
    };
    await writeSchemaCache(path, cache);
    assert.deepEqual(await readSchemaCache(path), cache);
    writeFileSync(path, '{"format": 1');
    assert.equal(await readSchemaCache(path), undefined);
    writeFileSync(path, JSON.stringify({ ...cache, format: 99 }));
    assert.equal(await readSchemaCache(path), undefined);
  });

  it('is read again when missing, of another connection, missing a source, or a day old', () => {
    const key = connectionKey(connection(url));
    const now = Date.parse('2026-12-05T04:00:00Z');
    const cache: SchemaCache = {
      format: SCHEMA_CACHE_FORMAT,
      connection: key,
      fetchedAt: '2026-12-05T03:00:00Z',
      sources: ['a', 'b'],
      schemas: [],
    };
    assert.equal(cacheIsStale(undefined, key, ['a'], now), true);
    assert.equal(cacheIsStale(cache, key, ['a'], now), false);
    assert.equal(cacheIsStale(cache, 'other|eu-west-1|', ['a'], now), true);
    assert.equal(cacheIsStale(cache, key, ['a', 'c'], now), true);
    assert.equal(cacheIsStale(cache, key, ['a'], Date.parse(cache.fetchedAt) + SCHEMA_CACHE_MAX_AGE_MS + 1), true);
  });

  it('names the connection without secrets', () => {
    const key = connectionKey({ ...connection('http://user:secret@127.0.0.1:4566'), profile: 'dev' });
    assert.equal(key, 'dev|eu-west-1|http://127.0.0.1:4566');
  });
});
