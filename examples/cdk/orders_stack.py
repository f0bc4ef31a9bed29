# Event patterns in AWS CDK Python code: keyword arguments in snake_case, events.Match helpers by their Python names.
from aws_cdk import Stack, aws_events as events
from constructs import Construct


class OrdersStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, stage: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        events.Rule(
            self,
            "LargeOrders",
            event_pattern=events.EventPattern(
                source=["com.example.orders"],
                detail_type=["Order Placed"],
                detail={
                    "total": events.Match.greater_than_or_equal(1000),
                    "currency": ["USD", "EUR"],
                },
            ),
        )
