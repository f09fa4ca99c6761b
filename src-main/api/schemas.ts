// Runtime schemas of everything that crosses the renderer ↔ main boundary. Main parses every
// request with these before touching it; the renderer imports only the inferred types.
export * from './entities';
export { eventSchemas, requestSchemas } from './channels';
