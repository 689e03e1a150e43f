export { renderNetwork, INTERFACES_PATH, OVS_SCRIPT_PATH, type RenderResult, type RenderOptions } from './render.js';
export { renderInterfaces, interfacesStanzas, type Stanza } from './interfaces.js';
export { renderOvsScript, ovsCommands, ovsTransactions } from './ovs.js';
export { writeRenderOutput } from './write.js';
export { formatRenderText } from './text.js';
export { shellQuote } from './shell.js';
export { assertRenderableModel } from './guard.js';
export { renderNetplan, netplanDocument, netplanRefusals, NETPLAN_PATH, type NetplanRefusal } from './netplan.js';
