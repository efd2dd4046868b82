import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createQueryClient } from './queryClient';
import { rootOptions } from './rootOptions';
import { createAppRouter } from './router';
import { applyTheme } from './theme/theme';
import './styles.css';

// public/theme-init.js already set it before the first paint; this keeps both in step.
applyTheme();

const queryClient = createQueryClient();
const router = createAppRouter({ queryClient });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container, rootOptions).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} />
  </StrictMode>,
);
