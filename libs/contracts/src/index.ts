export const hello = 'x';
