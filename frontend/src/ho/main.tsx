// Entry of the head-office dashboard (ho.html): the brand's view of every
// distributor's uploads, served by `vitaran headoffice serve`.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import './ho.css';
import { HoApp } from './App';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <HoApp />
  </StrictMode>,
);
