/** `cat-linear-reshape` for "Linear/Reshape": the CSS class that colours a category. */
export function categoryClass(category: string): string {
  return `cat-${category.toLowerCase().replace(/[^a-z]+/g, '-')}`;
}
