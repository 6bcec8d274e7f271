/** The text of every <text> element of an SVG (a chart's labels), entities decoded. */
export const svgTexts = (svg: string): string[] =>
  [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)]
    .flatMap((m) =>
      [...m[1]!.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)]
        .map((t) => t[1]!)
        .concat(m[1]!.includes("<tspan") ? [] : [m[1]!]),
    )
    .map((t) => t.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));

/** PNG's eight-byte signature. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
