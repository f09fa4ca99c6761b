// Every migration, in order. Append new ones; never edit one that has shipped.
import type { Migration } from './migration';
import { migration001Initial } from './001_initial';

export const migrations: readonly Migration[] = [migration001Initial];

export const LATEST_SCHEMA_VERSION = migrations.reduce((v, m) => Math.max(v, m.version), 0);
