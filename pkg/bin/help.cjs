'use strict';
// `tccvm --help` (one job: the help text, every command's flags in one place).

const { pkg, CODES } = require('./core.cjs');

const HELP = `tccvm — Tencent Cloud CVM images from the command line (tencentcloud-cvm-wasm ${pkg.VERSION})

Usage:
  tccvm delete-images   --ImageIds <id...> [--DryRun] [--DeleteBindedSnap] [options]
  tccvm delete-images   --ids-file <path|-> [--DryRun] [options]      bulk: any number of ids
  tccvm describe-images [--ImageIds <id...>] [--Limit n] [--Offset n] [--Filters <json>] [--all] [options]
  tccvm prune-images    --name <glob...> --older-than <age> --keep <n> [--DryRun] [options]
  (tccli spellings work too: \`tccvm cvm DeleteImages --ImageIds '["img-a"]'\`)

API parameters:
  --ImageIds, --image-ids <id...>   ids, space- or comma-separated, or a JSON array
  --DryRun [True|False]             only check whether the deletion would be allowed
  --DeleteBindedSnap [True|False]   also delete the snapshots bound to the images
  --cli-input-json <file>           API parameters as JSON (file://path or path); flags override it
  --all                             describe-images: every page (--Limit is the page size), each
                                    image once even if images are added or removed meanwhile
  --ids-file <path|->               one id per line (- = stdin); blank lines and # comments ignored.
                                    Sent in calls of ${pkg.MAX_IMAGE_IDS_PER_CALL} ids. When a call is refused because of some
                                    ids, DescribeImages tells which exist and in what state, and
                                    only the deletable ones are sent again (split further if need
                                    be); a summary accounts for every id

Connection:
  --region <id>          e.g. ap-guangzhou (default: TENCENTCLOUD_REGION, then the profile's region)
  --endpoint <url>       default https://cvm.tencentcloudapi.com (or TCCVM_ENDPOINT)
  --host <host>          the host to sign when --endpoint is a proxy or an emulator
  --profile <name>       profile of ~/.tencentcloud/credentials (default: env, then [default])
  --use-cvm-role         on a CVM instance: the temporary key of the CAM role bound to it, from the
                         instance metadata service (renewed before it expires); not with --profile
                         or key variables in the environment
  --role-name <name>     with --use-cvm-role: the role (default: the one the metadata service names)
  --metadata-url <url>   with --use-cvm-role: the metadata service (default http://metadata.tencentyun.com,
                         or TCCVM_METADATA_URL; the emulator's URL in tests)
  --method GET|POST      default POST
  --language zh-CN|en-US language of server error messages
  --signature-method TC3-HMAC-SHA256|HmacSHA256|HmacSHA1
                         default TC3-HMAC-SHA256; the others are the legacy v1 signatures
  --timeout <ms>         per attempt, default 10000
  --retries <n>          retries of transient failures, default 3 (0 = none)

Output and safety:
  --output json|table    default json
  --print-request        print the signed request, canonical request and string to sign; send nothing
  --yes, -y              do not ask before deleting more than one image (without a terminal
                         tccvm does not ask either, but says so on stderr unless --yes)
  --help, -h · --version

Pruning (rotate custom images):
  tccvm prune-images --name <glob...> --older-than <age> --keep <n> [--family-regex <re>]
                     [--DryRun] [--DeleteBindedSnap] [--yes] [options]
  --name <glob...>       image names to consider (* any run, ? one character; repeatable or
                         comma-separated); use '*' for every name
  --older-than <age>     delete only images created more than this long ago: 12h, 90d, 2w
  --keep <n>             always keep the n newest NORMAL images of each family (0 = none)
  --family-regex <re>    a family is the regex's first group (or whole match) in the name; by
                         default the name without a trailing date or number (web-20261101 → web)
  Only NORMAL private images are ever deleted. The plan (keep/delete/skip and why) comes first;
  then it asks on a terminal, or needs --yes without one. --DryRun sends the deletions with
  DryRun=True: the API checks them and deletes nothing. Each image planned for deletion is first
  checked with DescribeImageSharePermission: one shared with other accounts is skipped, and so is
  one whose check failed (exit 1, as for a partial run). Should DeleteImages still refuse one as
  shared (${CODES.imageInShared}), it is reported skipped.

Credentials: TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (+ TENCENTCLOUD_SESSION_TOKEN or
TENCENTCLOUD_TOKEN), or ~/.tencentcloud/credentials ([default] secret_id, secret_key, token, region),
or --use-cvm-role on a CVM instance with a CAM role bound.

Examples:
  tccvm delete-images --region ap-guangzhou --ImageIds img-mfih409y --DryRun
  tccvm delete-images --ImageIds img-aaaa1111 img-bbbb2222 --DeleteBindedSnap --yes
  tccvm cvm DeleteImages --cli-input-json file://delete.json --output table
  tccvm delete-images --ids-file old-images.txt --yes --output table
  grep -v keep images.txt | tccvm delete-images --ids-file - --yes
  tccvm describe-images --Filters '[{"Name":"image-type","Values":["PRIVATE_IMAGE"]}]' --output table
  tccvm delete-images --ImageIds img-mfih409y --print-request
  tccvm prune-images --name 'web-*' --older-than 90d --keep 3 --output table

Exit status: 0 ok · 1 API error or some ids failed · 2 usage error · 3 credentials/config error ·
4 confirmation declined · 130 interrupted
`;

module.exports = { HELP };
