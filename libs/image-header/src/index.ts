export * from './image-header.errors.js';
export * from './image-kind.js';
export * from './image-kind.sniffer.js';
export * from './image-size.js';
export * from './image-header.reader.js';
