/**
 * The renderer's entry: mount React, follow the URL's hash, reach the core.
 */
import './zod-jitless.js';
// The global base, then what features share, before any feature's own stylesheet.
import './styles/base.css';
import './common/common.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectCore } from './api/connect-core.js';
import { App } from './app.js';
import { followHash } from './store/actions.js';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

followHash();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
void connectCore();
