import { Button, ErrorState, Text } from '@hubspot/ui-extensions';

/** What every card, page and settings view shows when its function failed: the message and a Retry. */
export function LoadFailed({ title, message, onRetry, testId, size }: { title: string; message: string; onRetry: () => void; testId: string; size?: 'sm' }) {
  return (
    <ErrorState title={title} testId={testId}>
      <Text>{message}</Text>
      <Button testId="retry" onClick={onRetry} {...(size ? { size } : {})}>
        Retry
      </Button>
    </ErrorState>
  );
}
