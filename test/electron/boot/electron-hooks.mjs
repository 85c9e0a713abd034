// Node module hooks (module.register) for the boot test: the specifier `electron` resolves to the
// stand-in module named in `data` (electron-stand-in.ts), for the built main bundle and for every
// module it imports. Every other specifier resolves as Node would. Plain JavaScript, because
// hooks run on Node's loader thread before any TypeScript loader is in the chain.
let standIn = null;

export async function initialize(data) {
  standIn = data.standIn;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}
