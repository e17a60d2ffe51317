import { render } from 'preact';
import { target } from '../shared/platform';
import { extensionClient } from '../ui/extension-client';
import { PanelApp } from './PanelApp';
import '../ui/ui.css';
import './panel.css';

const root = document.getElementById('app');
if (!root) throw new Error('side panel: #app is missing from index.html');
// opened for one tab (?tab=<id>, as tests do) it stays on that tab; as the panel, it follows the active one
const pinned = new URLSearchParams(location.search).has('tab');
render(
  <PanelApp client={extensionClient()} followActiveTab={!pinned} panelSetting={target === 'chrome'} />,
  root,
);
