# Event patterns in Terraform: checked where they are written, as jsonencode({...}) objects, heredocs or file(...).
variable "stage" {
  type    = string
  default = "prod"
}

resource "aws_cloudwatch_event_bus" "orders" {
  name = "orders-${var.stage}"
}

resource "aws_cloudwatch_event_rule" "large_orders" {
  name           = "large-orders"
  event_bus_name = aws_cloudwatch_event_bus.orders.name
  event_pattern = jsonencode({
    source        = ["com.example.orders"]
    "detail-type" = ["Order Placed"]
    detail = {
      total    = [{ numeric = [">=", 1000] }]
      currency = ["USD", "EUR"]
    }
  })
}

resource "aws_cloudwatch_event_rule" "snapshots" {
  name          = "rds-snapshots"
  event_pattern = <<EOF
{
  "source": ["aws.rds"],
  "detail-type": ["RDS DB Snapshot Event"]
}
EOF
}
