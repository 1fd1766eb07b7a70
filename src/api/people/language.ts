import type { FastifyRequest } from 'fastify';
import { REFUSAL_LANGUAGES, type RefusalLanguage } from '../../services/refusals.js';

/**
 * The language a people-API answer is worded in: `?lang=zh-CN|en` when the request names one,
 * else Accept-Language (Chinese when it starts with zh), else English.
 */
export function requestLanguage(request: FastifyRequest): RefusalLanguage {
  const named = (request.query as Record<string, unknown> | undefined)?.lang;
  if (REFUSAL_LANGUAGES.includes(named as RefusalLanguage)) return named as RefusalLanguage;
  return /^\s*zh/i.test(request.headers['accept-language'] ?? '') ? 'zh-CN' : 'en';
}
