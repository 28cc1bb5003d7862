// The API 3.0 response envelope (reference tencent-api-3.md §4): success and error both come back
// as HTTP 200 JSON; the presence of Response.Error is what means failure.

/** A failure the emulator answers with an error envelope. `code` is Tencent's error code. */
export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

// X-TC-Language: zh-CN picks these (Tencent's own short descriptions); details stay in English.
const CHINESE_MESSAGES = {
  'AuthFailure.InvalidAuthorization': '请求头部的 Authorization 不符合腾讯云标准。',
  'AuthFailure.SecretIdNotFound': '密钥不存在。',
  'AuthFailure.SignatureExpire': '签名过期。',
  'AuthFailure.SignatureFailure': '签名错误。',
  'AuthFailure.TokenFailure': 'token 错误。',
  InternalError: '内部错误。',
  InvalidAction: '接口不存在。',
  InvalidFilter: '无效的过滤器。',
  'InvalidImageId.InShared': '镜像正在共享中。',
  'InvalidImageId.IncorrectState': '镜像状态不合法。',
  'InvalidImageId.Malformed': '错误的镜像Id格式。',
  'InvalidImageId.NotFound': '未找到该镜像。',
  InvalidParameter: '参数错误（包括参数格式、类型等错误）。',
  InvalidParameterValue: '参数取值错误。',
  'InvalidParameterValue.LimitExceeded': '参数值数量超过限制。',
  MissingParameter: '缺少参数错误。',
  NoSuchVersion: '接口版本不存在。',
  RequestLimitExceeded: '请求的次数超过了频率限制。',
  RequestSizeLimitExceeded: '请求包超过限制大小。',
  ServiceUnavailable: '当前服务暂时不可用。',
  UnknownParameter: '未知参数错误，用户多传未定义的参数会导致错误。',
  UnsupportedProtocol: 'HTTP(S)请求协议错误，只支持 GET 和 POST 请求。',
  UnsupportedRegion: '接口不支持所传地域。',
};

export function successEnvelope(fields, requestId) {
  return { Response: { ...fields, RequestId: requestId } };
}

export function errorEnvelope({ code, message }, requestId, language) {
  const localized = language === 'zh-CN' ? (CHINESE_MESSAGES[code] ?? message) : message;
  return { Response: { Error: { Code: code, Message: localized }, RequestId: requestId } };
}
