// piscina passes one value per task, so each task function takes its arguments as an object.
import { add as implAdd, echo as implEcho } from "../impl/add.mjs";

export function add({ a, b }) {
  return implAdd(a, b);
}

export function echo(s) {
  return implEcho(s);
}

export default add;
