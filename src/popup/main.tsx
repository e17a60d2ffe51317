import { render } from 'preact';
import { App } from './App';
import { extensionClient } from './extension-client';
import './popup.css';

const root = document.getElementById('app');
if (!root) throw new Error('popup: #app is missing from index.html');
render(<App client={extensionClient()} />, root);
