#!/bin/sh
# The same pipeline on Kubernetes with plain spark-submit (no operator): the image of
# deploy/Dockerfile holds the jar and the pipeline file (spark-submit mounts no ConfigMap; a
# pod template, spark.kubernetes.driver.podTemplateFile, can add one).
#   K8S_API=https://kubernetes.example:6443 deploy/kubernetes/spark-submit.sh
set -eu
exec "${SPARK_HOME:-/opt/spark}/bin/spark-submit" \
  --master "k8s://${K8S_API:?set K8S_API to the Kubernetes API server URL}" \
  --deploy-mode cluster \
  --name sluice-orders \
  --class io.sluice.cli.Main \
  --conf spark.kubernetes.container.image=sluice:0.1.0 \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.executor.instances=2 \
  local:///opt/sluice/sluice.jar \
  run /opt/sluice/pipelines/orders.yaml --set KAFKA_BOOTSTRAP_SERVERS=kafka.kafka.svc:9092 --metrics-port 9464
