'use strict';
// `tccvm describe-images` (one job): one page, or with --all every page through the client's
// paginator; --print-request shows the signed request instead.

const { pkg } = require('./core.cjs');
const { EXIT, UsageError } = require('./args.cjs');
const { signingOptions } = require('./credentials.cjs');
const { printResponse } = require('./output.cjs');
const { printSignedRequest, nowSec } = require('./print-request.cjs');

/** describe-images after the dispatcher parsed the arguments: resolves the exit code. */
async function describeImages(args, params, { options, client, output, signal }) {
  if (args.idsFile) throw new UsageError('--ids-file only applies to delete-images');
  if (args.printRequest) {
    const keyed = await signingOptions(options);
    printSignedRequest(pkg.buildRequest('DescribeImages', params, { ...keyed, timestamp: nowSec() }), args.output);
    return EXIT.ok;
  }
  if (args.all) {
    // Every page through the client's paginator (--Limit: the page size; --Offset: where to start).
    const pages = client.paginateDescribeImages(params, { signal });
    const ImageSet = [];
    let TotalCount = 0;
    for await (const page of pages) {
      ImageSet.push(...page.ImageSet);
      TotalCount = page.TotalCount;
    }
    const answer = { ImageSet, TotalCount, pages: pages.requests, setChanged: pages.setChanged, attempts: 1 };
    printResponse(answer, output, undefined, { offset: 0, all: true, setChanged: pages.setChanged });
    return EXIT.ok;
  }
  printResponse(await client.describeImages(params, { signal }), output, undefined, { offset: Number.isSafeInteger(params.Offset) ? params.Offset : 0, all: false });
  return EXIT.ok;
}

module.exports = { describeImages };
