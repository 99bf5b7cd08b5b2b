export { startWebServer } from './startWebServer'
export type { WebServer, WebServerOptions } from './startWebServer'
