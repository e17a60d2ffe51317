import { render } from 'preact';
import { App } from './App';
import { extensionClient } from '../ui/extension-client';
import '../ui/ui.css';

const root = document.getElementById('app');
if (!root) throw new Error('popup: #app is missing from index.html');
render(<App client={extensionClient()} />, root);
