/** Injection token of the validated ApiConfig (built once at boot in main.ts). */
export const API_CONFIG = Symbol('API_CONFIG');
