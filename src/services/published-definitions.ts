import type { FlowDefinition } from '../engine/definition.js';
import type { Repositories } from './context.js';

/**
 * Published definition versions never change, so each is read and parsed once per server, then
 * served from memory (bounded, least recently used first out).
 */
export class PublishedDefinitions {
  private readonly cache = new Map<string, FlowDefinition>();

  constructor(private readonly limit = 500) {}

  async get(repos: Repositories, id: string, version: number): Promise<FlowDefinition | undefined> {
    const key = `${id}:${version}`;
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const published = await repos.definitions.version(id, version);
    if (!published) return undefined;
    if (this.cache.size >= this.limit) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, published.definition);
    return published.definition;
  }
}
