import { Composer } from "grammy";
import type { Context, MiddlewareFn } from "grammy";

type Predicate = (ctx: Context) => boolean | Promise<boolean>;
type FilterFn = (
  this: Composer<Context>,
  predicate: Predicate,
  ...middleware: MiddlewareFn<Context>[]
) => Composer<Context>;

let installed = false;

/**
 * grammY's `Composer.filter` (behind `on`, `command`, `callbackQuery`, `chatType`, `hears`, …)
 * checks its predicate through `branch` and `lazy`, which build a new Composer and several
 * wrapping closures on every update that reaches it. A button press passes some 140 of these
 * checks on its way to its handler, so that building was a large share of every update. This
 * `filter` keeps the contract exactly: the predicate (maybe async) decides; on true the
 * composer it returns runs, with whatever was added to it later; on false the chain goes on.
 * It only builds nothing per update. Installed once, before the bot's composers are made.
 */
export function installDirectFilter(): void {
  if (installed) return;
  installed = true;
  const filter: FilterFn = function (predicate, ...middleware) {
    const composer = new Composer<Context>(...middleware);
    this.use(async (ctx, next) => {
      if (await predicate(ctx)) await composer.middleware()(ctx, next);
      else await next();
    });
    return composer;
  };
  (Composer.prototype as unknown as { filter: FilterFn }).filter = filter;
}
