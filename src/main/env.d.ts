// Vite's `?raw` imports: the file's text, inlined at build time (the Avro schema ships this way).
declare module '*?raw' {
  const text: string;
  export default text;
}
