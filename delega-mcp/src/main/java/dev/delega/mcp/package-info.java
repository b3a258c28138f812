/** The Delega MCP tool set, one definition serving the stdio and Streamable HTTP transports. */
package dev.delega.mcp;
