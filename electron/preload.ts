/**
 * The preload script: the only bridge between the sandboxed renderer and the main process.
 * It exposes named values only, never ipcRenderer itself.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('custosShell', { platform: process.platform });
