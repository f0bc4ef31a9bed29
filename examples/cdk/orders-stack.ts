// Event patterns in AWS CDK code: checked as the JSON CDK synthesizes (`detailType` is `detail-type`, each
// events.Match helper the operator it renders), with completion in CDK's spelling.
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';

export class OrdersStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps & { stage: string }) {
    super(scope, id, props);
    new events.Rule(this, 'LargeOrders', {
      eventPattern: {
        source: ['com.example.orders'],
        detailType: ['Order Placed'],
        detail: {
          total: events.Match.greaterThanOrEqual(1000),
          currency: ['USD', 'EUR'],
          customer: { tier: events.Match.anythingBut('test') },
        },
      },
    });
  }
}
