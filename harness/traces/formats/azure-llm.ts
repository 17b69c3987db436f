import { AZURE_COLUMNS, AZURE_FORMAT, openAzureTrace } from '../adapters/azure.js';
import type { LengthsFormat } from './format.js';

export const azureLlmFormat: LengthsFormat = {
  name: AZURE_FORMAT,
  kind: 'lengths',
  container: 'csv',
  description: 'Azure LLM inference trace 2023 (AzurePublicDataset, Splitwise ISCA 2024): one request per row',
  keys: AZURE_COLUMNS,
  signature: `CSV with columns ${AZURE_COLUMNS.join(', ')}`,
  open: openAzureTrace,
};
