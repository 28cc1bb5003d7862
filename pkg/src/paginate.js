// DescribeImages page by page for a set that may change between pages (one job): the paginator
// behind CvmClient's paginateDescribeImages and listImages. It calls only the client's own
// describeImages; the signal checks come from aborts.js.
import { CODES } from './codes.js';

export function createPaginate(core, { checkNotAborted, requireSignal }) {
  // How many times one run steps back to find where it was before it goes on without (the set
  // then changes faster than it can be read; `setChanged` says so).
  const MAX_STEP_BACKS = 20;
  // Pages in a row that bring no image not seen before: a server that ignores Offset (or whose
  // TotalCount lies) would otherwise be asked until the cursor reaches TotalCount.
  const MAX_BARREN_PAGES = MAX_STEP_BACKS + 2;

  /**
   * DescribeImages by Offset and Limit, for a set that may change between pages. Each page after
   * the first is asked from one image before where the previous one ended: that image (the
   * anchor) must come first. If it does not, images before it were added or removed: found
   * further on, the page goes on after it; not found at all, the run steps back a page and looks
   * for it there (so an image that slid back into a page already read is still seen). Images
   * already yielded are never yielded again (by ImageId), and `setChanged` is true once any page
   * showed the set changed (the anchor moved, or TotalCount differs from the page before).
   * Abortable with `options.signal`; `options.pageSize` (default the largest page) is each page's
   * Limit.
   */
  function paginate(client, params, options) {
    const signal = requireSignal(options);
    const [pageSize, field] = options && options.pageSize !== undefined && options.pageSize !== null ? [options.pageSize, 'pageSize']
      : params && params.Limit !== undefined && params.Limit !== null ? [params.Limit, 'params.Limit'] : [core.internal.describeImagesMaxLimit, 'pageSize'];
    // A page must hold the anchor and something new: 2 at least (a page of one could skip an image
    // unnoticed), the API's largest page at most.
    const maxPage = core.internal.describeImagesMaxLimit;
    if (!Number.isSafeInteger(pageSize) || pageSize < 2 || pageSize > maxPage) {
      throw new core.ValidationError({ field, code: 'InvalidParameterValue', message: `${field} must be a whole number from 2 to ${maxPage} when listing page by page` });
    }
    const state = { setChanged: false, requests: 0 };
    async function* pages() {
      state.setChanged = false;
      state.requests = 0;
      const start = params && Number.isSafeInteger(params.Offset) && params.Offset > 0 ? params.Offset : 0;
      const seen = new Set();
      let cursor = start;
      let anchor;
      let total;
      let stepBacks = 0;
      let yielded = 0;
      let barren = 0;
      for (;;) {
        checkNotAborted(signal, 'between pages');
        // (A page of one cannot hold the anchor and something new: no overlap then.)
        const overlap = anchor !== undefined && cursor > start && pageSize > 1 ? 1 : 0;
        const offset = cursor - overlap;
        const answer = await client.describeImages({ ...params, Offset: offset, Limit: pageSize }, { signal });
        state.requests += 1;
        const set = answer.ImageSet;
        if (!Array.isArray(set)) {
          // (A DryRunOperation answer, or a server's odd one: no list to page through.)
          throw core.internal.clientError(CODES.invalidResponse, 'DescribeImages answered without an ImageSet: nothing to list page by page');
        }
        if (total !== undefined && answer.TotalCount !== total) state.setChanged = true;
        let fresh = set;
        if (overlap === 1 && (set.length === 0 || set[0].ImageId !== anchor)) {
          state.setChanged = true;
          const at = set.findIndex((image) => image.ImageId === anchor);
          if (at >= 0) {
            fresh = set.slice(at + 1);
          } else if (stepBacks < MAX_STEP_BACKS) {
            // Images before the anchor went away: it slid back towards the start. Look a page back.
            stepBacks += 1;
            cursor = Math.max(start, offset - (pageSize - 1));
            total = answer.TotalCount;
            continue;
          }
        } else if (overlap === 1) {
          fresh = set.slice(1);
        }
        const images = fresh.filter((image) => !seen.has(image.ImageId));
        for (const image of images) seen.add(image.ImageId);
        // A page that ends where the one before did brings nothing further: the listing ends.
        const stuck = offset + set.length <= cursor;
        cursor = offset + set.length;
        if (set.length > 0) anchor = set[set.length - 1].ImageId;
        total = answer.TotalCount;
        barren = images.length === 0 ? barren + 1 : 0;
        if (barren >= MAX_BARREN_PAGES) state.setChanged = true;
        const last = set.length === 0 || stuck || cursor >= answer.TotalCount || barren >= MAX_BARREN_PAGES;
        if (images.length > 0 || (yielded === 0 && last)) {
          yielded += 1;
          yield { ...answer, ImageSet: images, Offset: offset, setChanged: state.setChanged };
        }
        if (last) return;
      }
    }
    return {
      /** True once a page showed that the set changed during this run. */
      get setChanged() {
        return state.setChanged;
      },
      /** DescribeImages calls made by this run. */
      get requests() {
        return state.requests;
      },
      [Symbol.asyncIterator]: pages,
    };
  }

  return paginate;
}
