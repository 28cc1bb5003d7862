#!/usr/bin/env node
'use strict';
// tccvm: DeleteImages / DescribeImages from the command line, flag-compatible with tccli where it
// can be (`--ImageIds img-a img-b`, `--DryRun True`, `--cli-input-json file://x.json`); and
// prune-images, which selects what to delete. This file only dispatches: argv is parsed by
// args.cjs, --help is help.cjs, the client comes from credentials.cjs, each command is its own
// file (delete-images.cjs, describe-images.cjs, prune-images.cjs, with the bulk engine bulk.cjs),
// and output.cjs writes everything, a failure's exit code included (codes: args.cjs EXIT).

const { pkg } = require('./core.cjs');
const { EXIT, UsageError, parseArgs, parseIdsText, readCliInputJson } = require('./args.cjs');
const { HELP } = require('./help.cjs');
const { clientOptions, makeClient } = require('./credentials.cjs');
const { reportFailure } = require('./output.cjs');
const { deleteInBulk, splitChunk, summarize } = require('./bulk.cjs');
const { deleteImages } = require('./delete-images.cjs');
const { describeImages } = require('./describe-images.cjs');
const { checkPruneArgs, pruneImages } = require('./prune-images.cjs');

async function main(argv, env) {
  const args = parseArgs(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.version) {
    process.stdout.write(`tccvm ${pkg.VERSION}\n`);
    return EXIT.ok;
  }
  if (!args.command) throw new UsageError('missing command: delete-images, describe-images or prune-images');
  const output = args.output || 'json';
  if (!['json', 'table'].includes(output)) throw new UsageError(`--output must be json or table, got "${output}"`);
  // Every usage problem before credentials are looked for: prune's flags (and stray ones).
  const pruneOptions = checkPruneArgs(args);
  if (args.all && args.command !== 'describe-images') throw new UsageError('--all only applies to describe-images');

  const params = { ...(args.cliInputJson ? readCliInputJson(args.cliInputJson) : {}), ...args.api };
  const options = clientOptions(args, env);
  const client = makeClient(options);

  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const run = { options, client, output, signal: controller.signal };

  if (pruneOptions) return pruneImages(args, pruneOptions, run);
  if (args.command === 'describe-images') return describeImages(args, params, run);
  return deleteImages(args, params, run);
}

if (require.main === module) {
  main(process.argv.slice(2), process.env).then(
    (code) => { process.exitCode = code; },
    (error) => { process.exitCode = reportFailure(error); },
  );
}

// For the test suites: the pieces that are worth testing without a process around them.
module.exports = { parseArgs, parseIdsText, splitChunk, deleteInBulk, summarize, EXIT };
