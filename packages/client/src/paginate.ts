import type { CallOptions } from './transport.js';

/** A page as list operations answer it. */
export interface Page<Item> {
  data: Item[];
  meta: { current_page: number; last_page: number };
}

/**
 * Iterates over every item of a list operation, page after page until `meta.last_page`.
 *
 * @example
 * for await (const customer of paginate(connect.listCustomers, { per_page: 100 })) console.log(customer.name);
 */
export async function* paginate<Params extends { page?: number } | undefined, Item>(
  method: (params: Params, options?: CallOptions) => Promise<Page<Item>>,
  params?: Omit<NonNullable<Params>, 'page'> & { page?: number },
  options?: CallOptions,
): AsyncGenerator<Item, void, undefined> {
  for (let page = params?.page ?? 1; ; page++) {
    const { data, meta } = await method({ ...params, page } as Params, options);
    yield* data;
    if (page >= meta.last_page || data.length === 0) return;
  }
}
