// Condition-code spellings GNU as accepts after j, set and cmov, with their 4-bit codes.

export const CONDITIONS: readonly (readonly [string, number])[] = [
  ['o', 0], ['no', 1], ['b', 2], ['c', 2], ['nae', 2], ['nb', 3], ['nc', 3], ['ae', 3],
  ['e', 4], ['z', 4], ['ne', 5], ['nz', 5], ['be', 6], ['na', 6], ['nbe', 7], ['a', 7],
  ['s', 8], ['ns', 9], ['p', 10], ['pe', 10], ['np', 11], ['po', 11],
  ['l', 12], ['nge', 12], ['nl', 13], ['ge', 13], ['le', 14], ['ng', 14], ['nle', 15], ['g', 15],
];
